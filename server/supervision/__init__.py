"""The supervision group (seed §六): verifiable spot-check draws, findings tracked to closure,
formalism signals. See docs/plans-and-supervision.md."""
