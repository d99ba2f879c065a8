"""Add / edit a monitor: a modal form with inline validation and a live Preview.

Preview runs `api.probe` (fetch + extract, nothing saved) in a worker and shows what a
check would get: values, source, fetcher, or the error sentence, and for a price page
the amounts it shows (picking one fills the Selector field). Save checks every
field with the core validator the CLI and import use (inline, at once), then saves
through the engine interface, which checks again with the selector and regex too; its
field errors show inline as well. The form dismisses with ("Added"|"Saved", monitor)
only once the monitor is durable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static

from tui_tracker.core.errors import DuplicateError, TrackerError
from tui_tracker.core.formatting import format_value, seat_count
from tui_tracker.core.intervals import format_interval
from tui_tracker.core.model import FetchMode, Kind, Monitor, Rules
from tui_tracker.core.monitor_input import FieldErrors, MonitorInput
from tui_tracker.core.text import clean_text
from tui_tracker.ui.widgets.candidates import CandidateList
from tui_tracker.ui.workers import ShowsWorkerErrors

if TYPE_CHECKING:
    from tui_tracker.engine.api import EngineAPI

TEXT_FIELDS = ("url", "name", "selector", "regex", "interval", "below", "drop_pct",
               "seats_at_least", "error_after", "emails", "tags")
FLAGS = ("back_in_stock", "seats_opened", "any_change")
LABELS = {"url": "URL", "name": "Name", "kind": "Kind", "fetcher": "Fetcher",
          "selector": "Selector", "regex": "Regex", "interval": "Interval",
          "below": "Target ≤", "drop_pct": "Drop %", "seats_at_least": "Seats ≥",
          "error_after": "Failures", "emails": "Email to", "tags": "Tags", "flags": "Alert on",
          "back_in_stock": "back in stock", "seats_opened": "seats opening",
          "any_change": "any change"}
RULES_FOR = {
    Kind.PRICE: ("below", "drop_pct", "back_in_stock", "any_change"),
    Kind.SEATS: ("seats_at_least", "seats_opened", "any_change"),
    Kind.TEXT: (),
    Kind.AUTO: ("below", "drop_pct", "seats_at_least", "back_in_stock", "seats_opened",
                "any_change"),
}
"""The rules the form offers for each kind; the others are hidden (kept as they are).
A text monitor always alerts on any change, so it offers none."""
RULE_FIELDS = ("below", "drop_pct", "seats_at_least")
PLACEHOLDERS = {
    "url": "https://shop.example/product/123",
    "name": "(from the page when empty)",
    "selector": "CSS or XPath (optional: structured data is tried first)",
    "regex": "optional, applied to the matched text",
    "interval": "10m, 30s, 2h, 1d",
    "below": "alert when the price is at or below this",
    "drop_pct": "alert when the price drops this many percent",
    "seats_at_least": "alert when a section has at least this many open seats",
    "error_after": "one alert after this many failed checks in a row (empty: never)",
    "emails": "a@example.org, b@example.org (default: TUI_TRACKER_NOTIFY_TO)",
    "tags": "words to group and filter by: cs, fall (filter with /tag:cs)",
}
EMPTY_CLEARS = "Empty turns the rule off."


def form_input(values: dict[str, str], kind: Kind, fetcher: FetchMode,
               flags: dict[str, bool] | None = None) -> MonitorInput:
    """Every field of the form, as typed: the core validator parses and checks them.

    An empty rule field turns that rule off; a rule the kind does not offer (hidden)
    is left as it is."""
    shown = RULES_FOR[kind]
    flags = flags or {}
    return MonitorInput(
        url=values["url"], name=values["name"], kind=kind.value, fetcher=fetcher.value,
        selector=values["selector"], regex=values["regex"],
        interval=values["interval"] or "10m",
        below=values["below"] if "below" in shown else None,
        drop_pct=values["drop_pct"] if "drop_pct" in shown else None,
        seats_at_least=values["seats_at_least"] if "seats_at_least" in shown else None,
        back_in_stock=flags.get("back_in_stock") if "back_in_stock" in shown else None,
        seats_opened=flags.get("seats_opened") if "seats_opened" in shown else None,
        any_change=flags.get("any_change") if "any_change" in shown else None,
        error_after=values["error_after"], emails=values["emails"], tags=values["tags"])


def duplicate_hint(sentence: str) -> str:
    """The engine's duplicate sentence (which names the existing id), with the form's
    way to insist instead of the CLI's flag."""
    head = sentence.split("; ")[0]
    return f"{head.rstrip('.')}. Save again to keep both, or change the page or selector."


def preview_text(result: object) -> Text:
    """What a probe found, or its error, as inert Text."""
    ok = getattr(result, "ok", False)
    if not ok:
        return Text("✖ " + clean_text(str(getattr(result, "error", "nothing found")), 400),
                    style="bold")
    ex = result.extraction  # type: ignore[attr-defined]
    t = Text("✓ ", style="bold", end="")
    t.append(f"{ex.kind.value} via {result.fetcher} from {ex.source}")  # type: ignore[attr-defined]
    if ex.title:
        t.append("\n  title: ")
        t.append(clean_text(ex.title, 120))
    for r in ex.readings[:12]:
        t.append("\n  ")
        t.append(clean_text(r.label, 40))
        t.append("  ")
        t.append(format_value(r) if r.unit != "seats" else seat_count(r), style="bold")
    if len(ex.readings) > 12:
        t.append(f"\n  … and {len(ex.readings) - 12} more")
    if ex.in_stock is not None:
        t.append(f"\n  in stock: {'yes' if ex.in_stock else 'no'}")
    return t


class MonitorForm(ModalScreen[tuple[str, Monitor] | None], ShowsWorkerErrors):
    """The add/edit dialog; dismisses with (verb, saved monitor) or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+r", "preview", "Preview"),
    ]

    def __init__(self, api: EngineAPI, monitor: Monitor | None = None) -> None:
        super().__init__(classes="dialog")
        self.api = api
        self.base = monitor
        self._insisting: dict[str, object] | None = None
        """The input a duplicate refusal was about: saving it again unchanged insists
        (the form's `--allow-duplicate`)."""

    def _initial(self, field: str) -> str:
        m = self.base
        if m is None:
            return {"interval": "10m", "error_after": f"{Rules().error_after}"}.get(field, "")
        value = {
            "url": m.url, "name": m.name, "selector": m.selector or "", "regex": m.regex or "",
            "interval": format_interval(m.interval),
            "below": "" if m.rules.below is None else f"{m.rules.below:g}",
            "drop_pct": "" if m.rules.drop_pct is None else f"{m.rules.drop_pct:g}",
            "seats_at_least": ("" if m.rules.seats_at_least is None
                               else f"{m.rules.seats_at_least:g}"),
            "error_after": f"{m.rules.error_after}" if m.rules.error_after else "",
            "emails": ", ".join(m.emails),
            "tags": ", ".join(m.tags),
        }[field]
        return value

    def _flag(self, flag: str) -> bool:
        rules = self.base.rules if self.base is not None else Rules()
        return bool(getattr(rules, flag))

    def compose(self) -> ComposeResult:
        title = "Add a monitor" if self.base is None else "Edit monitor"
        with Vertical(classes="dialog-box", id="form-box"):
            yield Static(Text(title), classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                for field in ("url", "name"):
                    yield from self._row(field)
                with Horizontal(classes="form-row"):
                    yield Static(Text(LABELS["kind"]), classes="form-label")
                    yield Select([(k.value, k) for k in Kind], value=(
                        self.base.kind if self.base else Kind.AUTO), allow_blank=False,
                        id="kind", compact=True)
                    yield Static(Text(LABELS["fetcher"]), classes="form-label")
                    yield Select([(f.value, f) for f in FetchMode], value=(
                        self.base.fetcher if self.base else FetchMode.AUTO), allow_blank=False,
                        id="fetcher", compact=True)
                for field in ("selector", "regex", "interval", "below", "drop_pct",
                              "seats_at_least"):
                    yield from self._row(field)
                with Horizontal(classes="form-row", id="row-flags"):
                    yield Static(Text(LABELS["flags"]), classes="form-label")
                    for flag in FLAGS:
                        yield Checkbox(LABELS[flag], self._flag(flag), id=flag, compact=True)
                yield Static(Text("A text monitor alerts on any change of its text."),
                             id="text-rules", classes="form-note")
                for field in ("error_after", "emails", "tags"):
                    yield from self._row(field)
                yield Static(Text("Preview (ctrl+r) shows what a check would extract."),
                             id="preview", classes="preview")
                yield CandidateList(id="candidates", classes="candidates")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Preview", id="preview-button")
                yield Button("Save", variant="primary", id="save-button")
                yield Button("Cancel", id="cancel-button")

    def _row(self, field: str) -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{field}"):
            yield Static(Text(LABELS[field]), classes="form-label")
            with Vertical(classes="form-field"):
                yield Input(self._initial(field), placeholder=PLACEHOLDERS[field], id=field,
                            compact=True)
                yield Static("", id=f"err-{field}", classes="form-error")

    def on_mount(self) -> None:
        for err in self.query(".form-error"):
            err.display = False
        self.query_one(CandidateList).display = False
        self.show_rules_for(Kind(str(self._select("kind"))))
        self.query_one("#url", Input).focus()

    def show_rules_for(self, kind: Kind) -> None:
        """Offer the rules that fit `kind`; hide the others (their values are kept)."""
        offered = RULES_FOR[kind]
        for field in RULE_FIELDS:
            self.query_one(f"#row-{field}").display = field in offered
        for flag in FLAGS:
            self.query_one(f"#{flag}", Checkbox).display = flag in offered
        self.query_one("#row-flags").display = any(f in offered for f in FLAGS)
        self.query_one("#text-rules").display = kind is Kind.TEXT

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK:
            self.show_rules_for(Kind(str(event.value)))

    def flags(self) -> dict[str, bool]:
        return {f: self.query_one(f"#{f}", Checkbox).value for f in FLAGS}

    def values(self) -> dict[str, str]:
        return {f: self.query_one(f"#{f}", Input).value for f in TEXT_FIELDS}

    def _select(self, widget_id: str) -> object:
        return self.query_one(f"#{widget_id}", Select).value

    def show_errors(self, errors: dict[str, str]) -> None:
        for field in TEXT_FIELDS:
            err = self.query_one(f"#err-{field}", Static)
            message = errors.get(field)
            err.update(Text(message or ""))
            err.display = bool(message)
            self.query_one(f"#{field}", Input).set_class(bool(message), "-invalid")

    def collect(self) -> MonitorInput | None:
        """The form's input when the core validator accepts it, else None (errors shown)."""
        spec = form_input(self.values(), Kind(str(self._select("kind"))),
                          FetchMode(str(self._select("fetcher"))), self.flags())
        try:
            spec.apply(self.base)
        except FieldErrors as exc:
            self.show_field_errors(exc.errors)
            return None
        self.show_errors({})
        return spec

    def show_field_errors(self, errors: dict[str, str]) -> None:
        shown = {f: m for f, m in errors.items() if f in TEXT_FIELDS}
        if not shown:  # a field without an input of its own: say it under the URL
            shown = {"url": next(iter(errors.values()))}
        self.show_errors(shown)
        self.query_one(f"#{next(iter(shown))}", Input).focus()

    @on(Button.Pressed, "#save-button")
    def action_save(self) -> None:
        spec = self.collect()
        if spec is not None:
            self.save(spec)

    @work(exclusive=True, group="save", exit_on_error=False)
    async def save(self, spec: MonitorInput) -> None:
        """Save through the engine; the dialog closes only once the monitor is durable.

        A duplicate is refused as the CLI refuses it, naming the monitor that already
        watches the page; Save again with nothing changed keeps both."""
        if self._insisting == spec.to_json():
            spec.allow_duplicate = True
        try:
            if self.base is not None:
                saved = await self.api.edit(self.base.id, spec)
                verb = "Saved"
            else:
                saved = await self.api.add(spec)
                verb = "Added"
        except FieldErrors as exc:
            self.show_field_errors(exc.errors)
            return
        except DuplicateError as exc:
            self._insisting = spec.to_json()
            self.show_field_errors({"url": duplicate_hint(str(exc))})
            return
        except TrackerError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=10)
            return
        self.dismiss((verb, saved))

    @on(Button.Pressed, "#cancel-button")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#preview-button")
    def action_preview(self) -> None:
        spec = self.collect()
        if spec is None:
            return
        self.query_one("#preview", Static).update(
            Text("Fetching… (a browser render can take a few seconds)"))
        self.run_preview(spec.apply(self.base))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @work(exclusive=True, group="preview", exit_on_error=False)
    async def run_preview(self, m: Monitor) -> None:
        preview = self.query_one("#preview", Static)
        try:
            result = await self.api.probe(m.url, kind=m.probe_kind, selector=m.selector,
                                          regex=m.regex, fetch=m.fetcher)
        except FieldErrors as exc:
            self.show_field_errors(exc.errors)
            preview.update(Text("✖ " + clean_text(str(exc), 400)))
            return
        except TrackerError as exc:
            preview.update(Text("✖ " + clean_text(str(exc), 400)))
            return
        preview.set_class(result.ok, "-ok")
        preview.set_class(not result.ok, "-failed")
        preview.update(preview_text(result))
        self.query_one(CandidateList).show(result.candidates)
        # After the refresh, so the region scrolled to includes the candidates' new height.
        self.call_after_refresh(preview.scroll_visible, animate=False)

    @on(CandidateList.Picked)
    def _picked(self, event: CandidateList.Picked) -> None:
        """A picked candidate's selector becomes the monitor's selector."""
        field = self.query_one("#selector", Input)
        field.value = event.selector
        field.focus()
