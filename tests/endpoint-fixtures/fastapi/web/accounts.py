from fastapi import APIRouter

router = APIRouter(prefix="/me")


@router.put("/email")
def change_email():  # endpoint: unprotected PUT /accounts/me/email
    return {}
