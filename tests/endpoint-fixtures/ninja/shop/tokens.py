from ninja import Router
from ninja.security import APIKeyHeader, HttpBearer
from partner_sso import verify_partner


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return token if token == "secret" else None


class KeyHeader(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return key if key == "secret" else None


router = Router(auth=BearerToken())


@router.post("/refresh")
def refresh(request):  # endpoint: exempt POST api/tokens/refresh
    return {"token": "new"}


@router.put("/rotate", auth=KeyHeader())
def rotate(request):  # endpoint: exempt PUT api/tokens/rotate
    return {"key": "rotated"}


# An authentication callable from a package outside the scan: whether it reads a cookie cannot be told.
@router.delete("/revoke", auth=verify_partner)
def revoke(request):  # endpoint: unknown DELETE api/tokens/revoke
    return {"revoked": True}
