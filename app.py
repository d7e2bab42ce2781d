"""Ticketwarden's Chalice app: registers the blueprints, nothing else."""
from chalice import Chalice

from chalicelib import bootstrap, logs
from chalicelib.api import dashboard, local, status, timers, webhooks
from chalicelib.settings import Settings

settings = Settings.from_env()
app = Chalice(app_name="ticketwarden", configure_logs=False)  # logs.configure owns logging
app.register_blueprint(webhooks.bp)
app.register_blueprint(status.bp)
app.register_blueprint(dashboard.bp)
app.register_blueprint(timers.bp)
if settings.local_mode:  # the test clock exists in `make run` only
    app.register_blueprint(local.bp)

logs.configure(settings.log_level)
if settings.warm_up:  # Lambda init phase: language profiles and lexicons, not on the first request
    bootstrap.warm_up()
