"""When a command needs a shell, and how it is invoked."""

import pytest

from pbench.errors import UsageError
from pbench.targets.command.shell import needs_shell, plan_invocation


@pytest.mark.parametrize(
    "command",
    ["echo a | wc", "a && b", "ls > out", "cat < in", "ls *.py", "echo $HOME", "echo `date`",
     'echo "$X"', "FOO=1 env", "cd /tmp", "sleep 1 &", "a; b", "for i in 1; do :; done",
     "ls ~", "(cd /; ls)", "echo 'unbalanced"],
)  # fmt: skip
def test_needs_shell(command: str) -> None:
    assert needs_shell(command)


@pytest.mark.parametrize(
    "command",
    ["sleep 0.1", "grep -r foo .", "echo 'a | b'", 'echo "a && b"', "python3 -c 'print(1)'",
     "ls -la /tmp", r"echo a\|b", "echo 'it''s'"],
)  # fmt: skip
def test_runs_directly(command: str) -> None:
    assert not needs_shell(command)


def test_plan_invocation_modes() -> None:
    direct = plan_invocation("echo 'a b' c", None)
    assert direct.mode == "direct" and direct.argv == ("echo", "a b", "c")
    shell = plan_invocation("echo a | wc -l", "auto")
    assert shell.mode == "shell" and shell.argv == ("sh", "-c", "echo a | wc -l")
    forced = plan_invocation("echo a | wc -l", "none")
    assert forced.argv == ("echo", "a", "|", "wc", "-l")
    bash = plan_invocation("echo hi", "bash")
    assert bash.argv == ("bash", "-c", "echo hi") and bash.shell == "bash"
    with pytest.raises(UsageError):
        plan_invocation("   ", None)
    with pytest.raises(UsageError):
        plan_invocation("echo 'x", "none")
