from litestar import Controller, delete, get, post


class AccountController(Controller):
    path = "/accounts"

    @get("/{account_id:int}")
    async def show(self, account_id: int) -> dict:  # endpoint: safe GET /accounts/{account_id:int}
        return {}

    @post()
    async def open_account(self) -> dict:  # endpoint: unprotected POST /accounts
        return {}

    @delete("/{account_id:int}")
    async def close(self, account_id: int) -> None:  # endpoint: unprotected DELETE /accounts/{account_id:int}
        return None
