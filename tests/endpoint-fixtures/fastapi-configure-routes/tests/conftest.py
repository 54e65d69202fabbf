from fastapi import FastAPI

from notebook.configure import configure_routes


def make_test_app():
    test_app = FastAPI()
    configure_routes(test_app)
    return test_app
