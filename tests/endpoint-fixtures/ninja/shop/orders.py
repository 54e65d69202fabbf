from ninja import Router
from ninja.security import APIKeyCookie

router = Router()


class SessionKey(APIKeyCookie):
    param_name = "sessionid"

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


def session_user(request):
    return request.user


@router.get("/")
def list_orders(request):  # endpoint: safe GET api/orders/
    return []


@router.api_operation(["POST", "PUT"], "/{order_id}")
def save_order(request, order_id: int):  # endpoint: protected POST,PUT api/orders/{order_id}
    return {"saved": order_id}


@router.delete("/{order_id}", auth=SessionKey(csrf=False))
def delete_order(request, order_id: int):  # endpoint: exempt DELETE api/orders/{order_id}
    return {"deleted": order_id}


@router.patch("/{order_id}/note", auth=session_user)
def annotate_order(request, order_id: int):  # endpoint: unprotected PATCH api/orders/{order_id}/note
    return {"noted": order_id}
