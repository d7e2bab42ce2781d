"""Ticketwarden's Chalice app: registers the blueprints, nothing else."""
from chalice import Chalice

from chalicelib import bootstrap, logs
from chalicelib.api import (dashboard, endpoints, errors, local, notifier, status, timers,
                            webhooks)
from chalicelib.settings import Settings

settings = Settings.from_env()  # a setting that cannot work fails here, in the init phase
if settings.in_lambda:
    settings.require_scheduler_target()
app = Chalice(app_name="ticketwarden", configure_logs=False)  # logs.configure owns logging
app.register_middleware(errors.contract_shape, "http")  # Chalice's own 405/415 in the error shape
app.register_blueprint(webhooks.bp)
app.register_blueprint(status.bp)
app.register_blueprint(dashboard.bp)
app.register_blueprint(timers.bp)
app.register_blueprint(notifier.bp)
app.register_blueprint(endpoints.bp)
if settings.local_mode:  # the test clock exists in `make run` only
    app.register_blueprint(local.bp)

logs.configure(settings.log_level)
if settings.warm_up:  # Lambda init phase: language profiles and lexicons, not on the first request
    bootstrap.warm_up()
