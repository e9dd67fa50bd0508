"""Puts the framework stand-ins (framework_standin/, see its README) on the path for one test, then takes them off."""
import contextlib
import os
import sys
import types

STANDIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "framework_standin")
DIALOGUE_LOOP = os.path.join(STANDIN, "dialogue_loop.py")
FRAMEWORK_SAVER_LINE = "from app.bot.memory import MemorySaverInMemory as MemorySaver\n"
OUR_SAVER_LINE = "from botstate_client import HttpMemorySaver as MemorySaver\n"


@contextlib.contextmanager
def framework_importable():
    """While open, ``import app.bot.memory.models`` finds the stand-ins, as in a framework process."""
    sys.path.insert(0, STANDIN)
    try:
        yield
    finally:
        sys.path.remove(STANDIN)
        for name in [name for name in sys.modules if name in ("app", "dialogue_loop") or name.startswith("app.")]:
            del sys.modules[name]


def dialogue_loop_source(swapped):
    """The dialogue-manager-shaped script, as written or with its saver import line swapped for ours."""
    with open(DIALOGUE_LOOP, encoding="utf-8") as file:
        lines = file.readlines()
    if swapped:
        lines = [OUR_SAVER_LINE if line == FRAMEWORK_SAVER_LINE else line for line in lines]
    return lines


def load_dialogue_loop(swapped):
    """Runs the script's source as a fresh module (call inside ``framework_importable``)."""
    module = types.ModuleType("dialogue_loop_swapped" if swapped else "dialogue_loop")
    exec(compile("".join(dialogue_loop_source(swapped)), DIALOGUE_LOOP, "exec"), module.__dict__)
    return module
