"""Local, stateful stand-ins for Stripe, QuickBooks Online and Xero, speaking their real HTTP APIs.

Only the CLI, the demo and the tests import this package; the pipeline sees a sandbox as just another
base address.
"""
