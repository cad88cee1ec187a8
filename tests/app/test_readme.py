"""The README against the real CLI (as sqlite-utils tests its docs): every command of the table and of
the examples exists with the options it shows, and every `$ parkwatch …` example prints what it shows."""
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.app.main import cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    """The command a word list names, and the words left for it."""
    cmd, rest = cli, list(words)
    while rest and isinstance(cmd, click.Group):
        word = rest[0]
        if word.startswith("-"):           # a root option such as --db PATH
            rest = rest[2:] if word in ("--db",) else rest[1:]
            continue
        sub = cmd.get_command(click.Context(cmd), word)
        if sub is None:
            break
        cmd, rest = sub, rest[1:]
    return cmd, rest


def _options(cmd: click.Command) -> set[str]:
    opts = {o for p in cmd.params for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
    return opts | {o for p in cli.params for o in getattr(p, "opts", [])} | {"--help", "-h"}


def _check(text: str):
    words = [w for w in re.split(r"[\s\[\]|]+", text.replace("\\|", " ")) if w]
    assert words[0] == "parkwatch", text
    cmd, rest = _resolve(words[1:])
    # a group that runs by itself (`parkwatch report …`) is a command too
    assert not isinstance(cmd, click.Group) or cmd.invoke_without_command, \
        f"{text!r}: {rest[:1]} is not a command of {cmd.name}"
    for w in rest:
        if w.startswith("--"):
            assert w.split("=")[0] in _options(cmd), f"{text!r}: {cmd.name} has no option {w}"


TABLE = re.findall(r"^\| `(parkwatch [^`]+)`", README, re.M)
COMMAND_LINES = [ln.split("#")[0].strip() for block in re.findall(r"```bash\n(.*?)```", README, re.S)
                 for ln in block.splitlines() if ln.strip().startswith("parkwatch ")]


@pytest.mark.parametrize("text", TABLE + COMMAND_LINES)
def test_every_command_shown_exists_with_its_options(text):
    for part in text.split("&&"):
        part = part.strip()
        if part.startswith("parkwatch"):
            _check(part)


def test_the_table_lists_every_command():
    shown = {tuple(_resolve(t.split()[1:])[0].name.split()) for t in TABLE}
    names = set()
    for name, cmd in cli.commands.items():
        if isinstance(cmd, click.Group):
            names |= {(sub,) for sub in cmd.commands} | ({(name,)} if cmd.invoke_without_command else set())
        else:
            names.add((name,))
    assert names <= shown, sorted(names - shown)


def _examples():
    for block in re.findall(r"```(?:bash|console)\n(.*?)```", README, re.S):
        lines = block.rstrip("\n").splitlines()
        for i, ln in enumerate(lines):
            if ln.startswith("$ parkwatch "):
                out = []
                for nxt in lines[i + 1:]:
                    if nxt.startswith("$ "):
                        break
                    out.append(nxt)
                yield ln[2:], "\n".join(out)


EXAMPLES = list(_examples())


def test_the_readme_has_examples():
    assert EXAMPLES


@pytest.mark.parametrize("command,expected", EXAMPLES)
def test_examples_print_what_the_readme_shows(command, expected, tmp_path):
    args = shlex.split(command)[1:]
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), *args])
    assert res.exit_code == 0, res.output
    got = "\n".join(ln.rstrip() for ln in res.output.rstrip("\n").splitlines())
    assert got == "\n".join(ln.rstrip() for ln in expected.splitlines())
