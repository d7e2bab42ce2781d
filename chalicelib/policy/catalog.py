"""Which profile applies: the seller's override, else the marketplace's default."""
from __future__ import annotations

from pathlib import Path

from chalicelib.domain.errors import ProfileError

from .profile import Profile, built_in_profiles, load_profile


class ProfileCatalog:
    def __init__(self, extra_dirs: tuple[Path, ...] = ()):
        self._profiles = dict(built_in_profiles())
        for directory in extra_dirs:
            for path in sorted(directory.glob("*.yaml")):
                profile = load_profile(path)
                self._profiles[profile.name] = profile

    def get(self, name: str) -> Profile:
        try:
            return self._profiles[name]
        except KeyError:
            raise ProfileError(f"no policy profile named '{name}' "
                               f"(known: {', '.join(sorted(self._profiles))})") from None

    def names(self) -> list[str]:
        return sorted(self._profiles)
