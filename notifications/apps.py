from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Benachrichtigungen"

    def ready(self) -> None:
        # Imported here: both modules need the app registry.
        from grants import events
        from notifications import subscribers, webhooks

        events.subscribe(subscribers.on_domain_event)
        webhooks.connect()
