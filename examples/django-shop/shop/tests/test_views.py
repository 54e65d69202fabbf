from django.test import TestCase
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def echo(request):
    return request


class CartTests(TestCase):
    def test_add_to_cart_needs_login(self):
        response = self.client.post("/cart/add/1/")
        self.assertEqual(response.status_code, 302)
