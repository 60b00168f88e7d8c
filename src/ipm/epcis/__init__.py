"""EPCIS 2.0: track-and-trace events captured from right holders (and, later, service providers), and the history
checks run on a serialised scan (``ipm.epcis.history.check_item``). See docs/epcis.md."""
