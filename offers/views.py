from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts.decorators import client_required, freelancer_required

from . import selectors, services
from .forms import JobForm


@client_required
def job_list(request):
    search = request.GET.get("q", "").strip()
    jobs = selectors.jobs_for_company(user=request.user, search=search)
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(request, "offers/job_list.html", {"page": page, "search": search, "nav_key": "jobs"})


@client_required
def job_create(request):
    if not request.user.membership.is_hiring_manager:
        messages.error(request, "Only hiring managers can post jobs.")
        return redirect("offers:job_list")
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = services.job_create(posted_by=request.user, **form.cleaned_data)
        messages.success(request, f"Job “{job.title}” posted.")
        return redirect("offers:job_detail", job_id=job.pk)
    return render(request, "offers/job_form.html", {"form": form, "nav_key": "jobs"})


@client_required
def job_detail(request, job_id):
    job = selectors.job_for_company(user=request.user, job_id=job_id)
    return render(request, "offers/job_detail.html", {"job": job, "nav_key": "jobs"})


@freelancer_required
def find_work(request):
    search = request.GET.get("q", "").strip()
    jobs = selectors.jobs_open_for_freelancers(search=search)
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(
        request, "offers/find_work.html", {"page": page, "search": search, "nav_key": "find-work"}
    )


@client_required
def offer_list(request):
    return render(request, "placeholder.html", {"title": "Offers", "nav_key": "offers"})


@freelancer_required
def freelancer_offers(request):
    return render(request, "placeholder.html", {"title": "Offers", "nav_key": "my-offers"})
