"""The subcommands each adapter contributes to `kiosk`."""
