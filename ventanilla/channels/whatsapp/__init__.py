"""The WhatsApp Business Cloud API webhook: an adapter only (R-APT-07).

It checks the handshake token and the ``X-Hub-Signature-256`` of every delivery, parses
the payload and hands each text message to ``ventanilla.whatsapp.services``; the
conversation and the booking rules live there and in ``ventanilla.scheduling``.
"""
