from flask import Blueprint

from ledger.naming import tenant_root

accounts = Blueprint("accounts", __name__)
SECTION = "statements"


@accounts.route(f"/{SECTION}/<int:number>", methods=["DELETE"])
def drop_statement(number):  # endpoint: protected DELETE /api/v1/accounts/statements/<int:number>
    return "dropped"


@accounts.route(f"/{tenant_root()}/close", methods=["POST"])
def close_account():  # endpoint: protected POST /api/v1/accounts/{…}/close
    return "closed"
