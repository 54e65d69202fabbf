from fastapi import APIRouter

router = APIRouter()


@router.put("/email")
def change_email():  # endpoint: unprotected PUT /email
    return {}
