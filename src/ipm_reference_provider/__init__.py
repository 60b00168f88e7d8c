"""ipm-reference-provider: a small serial-number registry that answers IPM's Connected verification protocol
(docs/connected-protocol.md) over real HTTP.

It is a separate service, not part of the IPM web application: it imports no Django, keeps its own SQLite file and
shares only ``ipm.connected.signing`` with IPM, so that both ends sign and check in exactly the same way. The demo
runs it beside the app, the tests start it as a real process, and a provider implementing the protocol can read it
as a worked example (docs/reference-provider.md).
"""

PROTOCOL = "ipm-connected/1"
