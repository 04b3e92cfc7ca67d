// The security page: once django-otp-webauthn's script has stored a new passkey, the page is
// loaded again so that the list shows it (with the server's confirmation message).
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
