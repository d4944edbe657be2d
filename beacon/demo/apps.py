from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "beacon.demo"
    label = "demo"

    def ready(self):
        from . import checks  # noqa: F401  (registers the demo accounts' production check)
