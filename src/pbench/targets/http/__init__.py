"""HTTP endpoints as targets: the request spec (parsed and checked once), the HTTP/1.1
connection, the asyncio worker that drives connections, and the pool of worker
processes the load runner uses."""
