from ninja import NinjaAPI, Router

public = NinjaAPI(urls_namespace="public")
feedback = Router()


@feedback.post("/send")
def send_feedback(request, text: str):  # endpoint: exempt POST public/feedback/send
    return {"received": len(text)}


def mount_routers(api):
    api.add_router("/feedback", feedback)
    return api


public = mount_routers(public)
urls = public.urls
