resource "aws_lambda_function" "this" {
  runtime = "ruby2.5"
}
