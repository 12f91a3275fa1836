"""Human-readable reports: terminal text."""
