"""The load test (locust personas, the framework floor, memory of the whole stack)."""
