"""Put each lesson's lab, kept under snippets/, on the site as a page that mkdocs-jupyter runs.

A lesson's lab lives at snippets/<lesson>/lab.py (jupytext percent format), next to the rest
of the lesson's code. This hook adds it to the build as the page <lesson>/lab.py, so the
nav and other pages refer to it like any page, and `mkdocs serve` (which watches snippets/)
rebuilds it on edit. mkdocs-jupyter then executes it and renders it.

mkdocs-jupyter caches an executed page under a key made of the source and its own options
only: a torch upgrade would keep serving plots made by the old torch. This hook therefore
points the cache at a folder named after the Python version and every installed package's
version: any change to the environment starts from an empty cache and executes again.

The kernel runs torch with one thread (OMP_NUM_THREADS=1 unless already set): the labs'
tensors are small, and on a busy 2-core machine a second thread made a lab 3-20x slower
while waiting for a core; the outputs are the same with 1 or 2 threads (tests/test_threads.py).

It also adds hooks/jupyter/ to JUPYTER_CONFIG_PATH, whose nbconvert config has the kernel
manager hand the kernel CurveZMQ keys: without them ipykernel prints a warning on every
build that it talks over unencrypted TCP.
"""

import hashlib
import importlib.metadata
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

JUPYTER_PLUGIN = "mkdocs-jupyter"
LAB = "lab.py"
JUPYTER_CONFIG = Path(__file__).resolve().parent / "jupyter"


def lab_pages(snippets_dir: Path) -> list[str]:
    """The labs' paths relative to snippets/, which are also their pages' paths in the site."""
    return sorted(p.relative_to(snippets_dir).as_posix() for p in snippets_dir.glob(f"*/{LAB}"))


def environment_fingerprint() -> str:
    """A short hash of the Python version and every installed distribution's version."""
    installed = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    text = "\n".join([sys.version, *installed])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def on_config(config, **kwargs):
    plugin = config.plugins.get(JUPYTER_PLUGIN)
    if plugin is None:
        raise PluginError(f"hooks/labs.py needs the {JUPYTER_PLUGIN} plugin in mkdocs.yml")
    if plugin.config["execute"] is not True or plugin.config["allow_errors"] is not False:
        raise PluginError(
            f"{JUPYTER_PLUGIN} must run with execute: true and allow_errors: false, "
            "so that a failing check in a lab fails the build"
        )
    project = Path(config.config_file_path).parent
    cache_root = project / ".cache" / JUPYTER_PLUGIN
    plugin.config["cache_dir"] = str(cache_root / environment_fingerprint())
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # inherited by the kernel mkdocs-jupyter starts
    paths = os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep)
    if str(JUPYTER_CONFIG) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(JUPYTER_CONFIG), *filter(None, paths)]
        )
    return config


@event_priority(100)  # before mkdocs-jupyter's on_files, which claims the notebook pages
def on_files(files, config, **kwargs):
    snippets_dir = Path(config.config_file_path).parent / "snippets"
    for src_uri in lab_pages(snippets_dir):
        if not (Path(config.docs_dir) / src_uri).parent.is_dir():
            raise PluginError(f"snippets/{src_uri}: no lesson folder docs/{Path(src_uri).parent}/")
        # A File read from snippets/, not File.generated: mkdocs-jupyter's NotebookFile
        # wrapper recomputes abs_src_path from src_dir, which a generated File lacks.
        files.append(File(src_uri, str(snippets_dir), config.site_dir, config.use_directory_urls))
    return files
