# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication of API calls: IAM token (X-Auth-Token) or AK/SK signature."""

import seed
import signature

TOKEN_MISSING = ("ModelArts.0201", "Token doesn't exist.")
TOKEN_EXPIRED = ("ModelArts.0202", "Invalid token header because the token has expired.")
TOKEN_INVALID = ("ModelArts.0203", "Invalid token.")
TOKEN_NO_PROJECT = ("ModelArts.0212", "Invalid token header because the token does not contain a project.")


def check_token(state, value):
    """Return ``(Token, None)`` for a usable token, else ``(None, (code, message))``.

    Usable means known and not expired; the project scope is not checked here.
    """
    token = state.tokens.get(value)
    if token is None:
        return None, TOKEN_INVALID
    if token.is_expired(state.clock.now()):
        return None, TOKEN_EXPIRED
    return token, None


def _secret_for(access_key):
    credential = seed.CREDENTIALS.get(access_key)
    return credential[0] if credential else None


def check_aksk(state, request):
    """Verify the AK/SK signature of a request; return the access key.

    Raises signature.SignatureError (APIGW.0301 / APIGW.0303).  A temporary
    access key also needs a signed, matching X-Security-Token header.
    """
    access_key = signature.verify_request(
        request.method, request.path, request.query, request.headers, request.body,
        _secret_for, state.clock.now())
    required_token = seed.CREDENTIALS[access_key][1]
    if required_token is not None:
        presented = request.header("x-security-token")
        if presented.strip() != required_token:
            raise signature.SignatureError(
                signature.SIGNATURE_ERROR, signature.SIGNATURE_MESSAGE + ": security token is missing or wrong")
        signed = signature.parse_authorization(request.header("authorization"))[1]
        if "x-security-token" not in signed:
            raise signature.SignatureError(
                signature.SIGNATURE_ERROR, signature.SIGNATURE_MESSAGE + ": x-security-token must be signed")
    return access_key
