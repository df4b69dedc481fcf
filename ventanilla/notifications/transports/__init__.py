"""How a message leaves the service: one module per channel, no domain knowledge.

A transport raises ``TransientFailure`` when trying again later may work (the server is down,
a timeout) and ``PermanentFailure`` when it never will (the address does not exist);
``NotConfigured`` when the channel has no credentials (the demo)."""


class DeliveryFailed(Exception):
    """The message was not delivered."""


class TransientFailure(DeliveryFailed):
    """Try again later."""


class PermanentFailure(DeliveryFailed):
    """Trying again will not help: the message is undeliverable."""


class NotConfigured(DeliveryFailed):
    """The channel has no credentials here (the demo): nothing is sent."""
