def user_for(request):
    return None
