from django.urls import path

from . import views

app_name = "offers"

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:offer_id>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:offer_id>/modify/", views.offer_modify, name="offer_modify"),
    path("offers/<int:offer_id>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("offers/<int:offer_id>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<int:offer_id>/decline/", views.offer_decline, name="offer_decline"),
    path("proposals/offers/", views.freelancer_offers, name="freelancer_offers"),
]
