export { ratingsRoutes } from './ratings.routes';
export { currentRatings, latestRatedSport, ratingHistory, rerateFrom } from './ratings.service';
