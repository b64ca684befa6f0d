import threading

from tests.suite import SNIPPETS_DIR, WARM_IMPORTS, snippets

pytest_collect_file = snippets.pytest()


def pytest_collection_finish(session):
    """Import the slow, pure-Python modules some snippets need (torch._dynamo, which every
    torch.optim optimizer loads, and transformers) on a background thread while the first
    snippets run: the full-size table's normal_ releases the GIL for seconds, so the second
    core does the imports meanwhile. Snippets still import what they use themselves; the
    copy-to-python3 browser tests run each one in a fresh interpreter."""
    if any(SNIPPETS_DIR in item.path.parents for item in session.items):
        _WARMING.append(threading.Thread(target=_import_quietly, args=(WARM_IMPORTS,)))
        _WARMING[-1].daemon = True
        _WARMING[-1].start()


_WARMING: list[threading.Thread] = []


def pytest_runtest_setup(item):
    """A snippet that imports transformers waits for the warm-up thread: importing the same
    lazily-loaded package from two threads at once can fail with "cannot import name"."""
    if _WARMING and _WARMING[-1].is_alive() and "transformers" in item.path.read_text():
        _WARMING[-1].join()


def _import_quietly(names):
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional extra not installed: its snippets will say so
            pass
