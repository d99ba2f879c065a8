"""Command-palette provider: every dashboard action, searchable by name.

Built from the dashboard's (and the app's) own `BINDINGS`, so a key and its palette entry can never
disagree about what an action is called or does.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class TrackerCommands(Provider):
    """One palette command per dashboard binding that has a description."""

    def _commands(self) -> list[tuple[str, str, str]]:
        """(title, action, key) for each described binding, without duplicates."""
        seen: set[str] = set()
        out = []
        bindings = [*getattr(self.screen, "BINDINGS", []), *getattr(self.app, "BINDINGS", [])]
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action in seen or binding.action in {"command_palette", "quit"}:
                continue
            seen.add(binding.action)
            out.append((binding.description, binding.action, binding.key_display or binding.key))
        return out

    async def _run(self, action: str) -> None:
        await self.app.run_action(action)

    async def discover(self) -> Hits:
        for title, action, key in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, key in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action),
                          text=title, help=f"key: {key}")
