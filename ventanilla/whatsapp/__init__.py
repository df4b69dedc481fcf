"""WhatsApp channel of medical appointments (R-APT-07, R-APT-09): the state of each
sender's conversation, the messages received and sent, and the reminders.

The webhook adapter lives in ``ventanilla.channels.whatsapp``; booking rules stay in
``ventanilla.scheduling.services``.
"""
