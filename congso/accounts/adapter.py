from allauth.account.adapter import DefaultAccountAdapter

from congso.accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.user_signed_up(user=user)
        return user
