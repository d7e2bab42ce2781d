"""Ticketwarden's Chalice app: registers the blueprints, nothing else."""
from chalice import Chalice

from chalicelib.api import status, webhooks

app = Chalice(app_name="ticketwarden")
app.register_blueprint(webhooks.bp)
app.register_blueprint(status.bp)
