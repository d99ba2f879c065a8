"""`python -m tui_tracker` is the same as the `tui-tracker` command."""

from tui_tracker.cli.main import main

raise SystemExit(main())
