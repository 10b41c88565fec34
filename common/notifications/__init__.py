"""Notifications (消息): every user's inbox, e-mail by preference, group robots by webhook.

Apps call one service, `common.notifications.services.notify`; what a kind says is
`common.notifications.kinds`; reads are `common.notifications.selectors`.
"""
