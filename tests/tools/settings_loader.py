"""Load a settings module afresh under a given environment, without touching the running
Django configuration (the modules are imported anew and the originals put back)."""

import importlib
import os
import sys
from types import ModuleType

PACKAGE = "config.settings"
KEPT_VARIABLES = ("PATH", "HOME", "LANG", "TMPDIR", "TZ")


def load_settings(module: str, environ: dict[str, str] | None = None) -> ModuleType:
    """Import `config.settings.<module>` with exactly `environ` (plus PATH, HOME…) set."""
    saved_environ = os.environ.copy()
    saved_modules = {
        name: mod
        for name, mod in sys.modules.items()
        if name.startswith(f"{PACKAGE}.") and name != PACKAGE
    }
    package = importlib.import_module(PACKAGE)
    saved_attributes = {
        name.rsplit(".", 1)[1]: getattr(package, name.rsplit(".", 1)[1], None)
        for name in saved_modules
    }
    try:
        os.environ.clear()
        os.environ.update({k: saved_environ[k] for k in KEPT_VARIABLES if k in saved_environ})
        os.environ.update(environ or {})
        for name in saved_modules:
            del sys.modules[name]
        return importlib.import_module(f"{PACKAGE}.{module}")
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        for name in [n for n in sys.modules if n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
        sys.modules.update(saved_modules)
        for attribute, value in saved_attributes.items():
            if value is not None:
                setattr(package, attribute, value)
