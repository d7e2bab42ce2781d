"""Ticketwarden's Chalice app: registers the blueprints, nothing else."""
import gc

COLLECTING = gc.isenabled()
gc.disable()  # init phase: what it builds lives as long as the container; see the end

from chalicelib.text import precompiled  # noqa: E402

precompiled.seed_regex_cache()  # before the imports that compile chalicelib's expressions

from chalice import Chalice  # noqa: E402

from chalicelib import bootstrap, logs  # noqa: E402
from chalicelib.api import (dashboard, endpoints, errors, local, notifier, status,  # noqa: E402
                            timers, webhooks)
from chalicelib.settings import Settings  # noqa: E402

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
if COLLECTING:  # the init phase's objects to the permanent generation: no collection scans them
    gc.freeze()
    gc.enable()
