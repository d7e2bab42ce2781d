"""Ticketwarden's Chalice app: registers the blueprints, nothing else."""
from chalice import Chalice

from chalicelib import bootstrap
from chalicelib.api import status, webhooks

app = Chalice(app_name="ticketwarden")
app.register_blueprint(webhooks.bp)
app.register_blueprint(status.bp)

bootstrap.warm_up()  # Lambda init phase: language profiles and lexicons, not on the first request
