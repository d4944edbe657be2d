from django.contrib.auth import views as auth_views
from django.urls import path

from .account import PasswordChangeView
from .mfa import LoginForm, TwoFactorView
from .views import audit

app_name = "core"

urlpatterns = [
    path("changelog/", audit.ChangeLogView.as_view(), name="logentry_list"),
    path("logins/", audit.LoginLogView.as_view(), name="accesslog_list"),
    path("logins/failed/", audit.LoginFailureLogView.as_view(), name="accessfailurelog_list"),
]

auth_urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            template_name="core/login.html",
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", TwoFactorView.as_view(), name="two-factor"),
    path("account/password/", PasswordChangeView.as_view(), name="password-change"),
]
