from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_POST

from .models import Cart, Coupon, Product


@ensure_csrf_cookie
def product_page(request, product_id):
    product = get_object_or_404(Product, pk=product_id)
    return render(request, "shop/product.html", {"product": product})


@login_required
@require_POST
def add_to_cart(request, product_id):
    cart = Cart.for_user(request.user)
    cart.add(get_object_or_404(Product, pk=product_id))
    return JsonResponse({"items": cart.count()})


@csrf_exempt
@login_required
def apply_coupon(request):
    cart = Cart.for_user(request.user)
    cart.apply(Coupon.objects.get(code=request.POST["code"]))
    return JsonResponse({"total": str(cart.total())})


def payment_webhook(request):
    return HttpResponse(status=204)
