/* "Use my location": fills the "Near" field with the browser's position as "lat,lon".
   Progressive enhancement: the button stays hidden unless this script runs and the browser
   offers geolocation. Coordinates are rounded to about 100 m, which is plenty for a search
   radius and keeps the exact position out of the URL. */
(function () {
  "use strict";

  var button = document.getElementById("use-location");
  var input = document.getElementById("field-near");
  var status = document.getElementById("locate-status");
  if (!button || !input || !status || !("geolocation" in navigator)) {
    return;
  }

  var MESSAGES = {
    1: "Location permission was refused.",
    2: "Your position is not available.",
    3: "Finding your position took too long."
  };

  function done(message) {
    status.textContent = message;
    button.disabled = false;
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        input.value = position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
        done("Your location has been filled in. Press Search to find providers near you.");
        input.focus();
      },
      function (error) {
        done((MESSAGES[error.code] || "We could not get your location.") +
          " Type a city or postal code instead.");
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
}());
