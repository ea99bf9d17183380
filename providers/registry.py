"""Provider classes found through the ``ticker.providers`` entry points (a third-party
package registers its sources the same way the built-in ones are registered).

Standard library only, so that any layer may ask which sources exist; the program's own
wrapper (:mod:`ticker.core.registry`) turns a miss into a configuration error.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from providers.base import Provider

GROUP = "ticker.providers"


def registered() -> dict[str, EntryPoint]:
    """Every registered provider, by name, without importing any of them."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def provider_class(name: str) -> type[Provider]:
    """The class registered as ``name``.

    Raises ``LookupError`` when no provider has that name and ``TypeError`` when what is
    registered is not a :class:`Provider` class.
    """
    eps = registered()
    if name not in eps:
        raise LookupError(name)
    cls = eps[name].load()
    if not (isinstance(cls, type) and issubclass(cls, Provider)):
        raise TypeError(f"provider {name!r} ({eps[name].value}) is not a Provider class")
    return cls
