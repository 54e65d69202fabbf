from litestar import Litestar

from shop.core import ApplicationCore


def create_app() -> Litestar:
    return Litestar(plugins=[ApplicationCore()])
