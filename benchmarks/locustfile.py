"""Locust users for benchmarks/api_load.py: one scenario per run, chosen by BENCH_SCENARIO.

Every user sends its requests back to back (no wait time), so the figures are the server's
capacity at that concurrency, not a think-time simulation.
"""

import itertools
import os
import random

from locust import HttpUser, constant, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "visits_list")
TOKEN = os.environ.get("BENCH_TOKEN", "")
PROJECT = int(os.environ.get("BENCH_PROJECT", "0"))
MARKETER = int(os.environ.get("BENCH_MARKETER", "0"))
STATEMENTS = [int(pk) for pk in os.environ.get("BENCH_STATEMENTS", "0").split(",")]
MONTH = os.environ.get("BENCH_MONTH", "2026-10")
_phones = itertools.count(int(os.environ.get("BENCH_PHONE_START", "15900000000")))


class Client(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {TOKEN}"

    @task
    def request(self):
        if SCENARIO == "visits_list":
            self.client.get("/api/v1/visits/", name="visits list")
        elif SCENARIO == "bare_visits":
            self.client.get("/bench/bare-visits/", name="bare visits view")
        elif SCENARIO == "visit_create":
            body = {
                "project": PROJECT,
                "marketer": MARKETER,
                "customer_name": "压测客户",
                "customer_phone": str(next(_phones)),
                "visited_at": f"{MONTH}-15T10:30:00+08:00",
                "property_type": "high_rise",
                "status": "confirmed",
            }
            with self.client.post(
                "/api/v1/visits/", json=body, name="visit create", catch_response=True
            ) as response:
                if response.status_code != 201:
                    response.failure(f"{response.status_code}: {response.text[:200]}")
        elif SCENARIO == "leaderboard":
            self.client.get(
                f"/api/v1/leaderboards/?kind=monthly_visits&period={MONTH}", name="leaderboard"
            )
        elif SCENARIO == "statement":
            self.client.get(f"/api/v1/statements/{random.choice(STATEMENTS)}/", name="statement")
        else:
            raise SystemExit(f"unknown BENCH_SCENARIO {SCENARIO}")
