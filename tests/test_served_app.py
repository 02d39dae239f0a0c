"""A server worker's app lives as long as its process; the apps tests make come and go."""

import gc

from app.main import create_app, create_served_app


async def test_a_server_worker_keeps_what_start_up_built_out_of_the_cycle_collectors_walks(settings):
    gc.unfreeze()  # whatever an earlier test may have left frozen in this process
    try:
        served = create_served_app(settings)
        async with served.router.lifespan_context(served):
            # Routes, schemas, mappers and the engine: far more than any request leaves behind.
            assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()


async def test_an_app_made_in_a_process_that_makes_many_leaves_the_collector_alone(settings):
    gc.unfreeze()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() == 0
