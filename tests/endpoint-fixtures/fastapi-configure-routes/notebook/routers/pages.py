from fastapi import APIRouter

pages = APIRouter()


@pages.get("/")
async def home():  # endpoint: safe GET /
    return {"page": "home"}
