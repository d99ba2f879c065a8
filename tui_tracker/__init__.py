"""tui-tracker: watch web pages for the numbers you wait on, from your terminal."""

__version__ = "0.1.0"
