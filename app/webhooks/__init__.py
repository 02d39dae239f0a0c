"""Signed event webhooks (Standard Webhooks): subscriptions of machine clients, the deliveries
fanned out from the outbox, and the dispatcher that sends them."""
