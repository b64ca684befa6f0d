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
        threading.Thread(target=_import_quietly, args=(WARM_IMPORTS,), daemon=True).start()


def _import_quietly(names):
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional extra not installed: its snippets will say so
            pass
